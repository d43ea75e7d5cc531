data "aws_iam_policy_document" "uploads_rw" {
  statement {
    sid       = "UploadsReadWrite"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.uploads.arn}/*"]
  }
}

resource "aws_iam_policy" "uploads_rw" {
  name   = "${local.name_prefix}-uploads-rw"
  policy = data.aws_iam_policy_document.uploads_rw.json
}

# The deploy role of the old Jenkins server. "Temporary".
resource "aws_iam_role_policy" "legacy_deployer" {
  name = "legacy-deployer"
  role = "legacy-jenkins"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      }
    ]
  })
}

resource "aws_cloudtrail" "account" {
  name                       = "${local.name_prefix}-trail"
  s3_bucket_name             = aws_s3_bucket.access_logs.id
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = aws_kms_key.data.arn
}
