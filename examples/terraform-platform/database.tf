resource "aws_db_instance" "orders" {
  identifier              = "${local.name_prefix}-orders"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = var.db_instance_class
  allocated_storage       = 100
  storage_type            = "gp3"
  storage_encrypted       = var.db_encrypted
  username                = "orders"
  password                = var.db_password
  backup_retention_period = 14
  deletion_protection     = true
  vpc_security_group_ids  = [aws_security_group.database.id]
  skip_final_snapshot     = false
  tags                    = local.common_tags
}

resource "aws_dynamodb_table" "sessions" {
  name         = "${local.name_prefix}-sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "session_id"

  attribute {
    name = "session_id"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  tags = local.common_tags
}
