locals {
  name_prefix = "acme-${var.environment}"

  common_tags = {
    Project    = "checkout"
    CostCenter = "cc-1042"
  }

  admin_ports = [22]
}
