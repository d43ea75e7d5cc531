module "web" {
  source = "./modules/web_service"

  name          = "${local.name_prefix}-web"
  instance_type = var.web_instance_type
  subnet_id     = "subnet-0a1b2c3d"
  data_volume   = { size = 200, type = "gp2" }
  tags          = local.common_tags
}

module "worker" {
  source = "./modules/web_service"

  name          = "${local.name_prefix}-worker"
  instance_type = "c6i.large"
  subnet_id     = "subnet-0a1b2c3d"
  data_volume   = { size = 50, type = "gp3" }
  tags          = local.common_tags
}

module "dns" {
  source = "git::https://github.com/acme/terraform-modules.git//route53-zone"
  domain = "checkout.example.com"
}
