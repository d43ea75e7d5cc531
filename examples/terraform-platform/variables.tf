variable "region" {
  description = "AWS region for the platform."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Deployment environment (dev, staging, prod)."
  type        = string
  default     = "dev"
}

variable "office_cidr" {
  description = "Address range of the office VPN."
  type        = string
  default     = "203.0.113.0/24"
}

variable "db_instance_class" {
  type    = string
  default = "db.t3.medium"
}

variable "db_encrypted" {
  description = "Encrypt the database volume. Set per environment in terraform.tfvars."
  type        = bool
  default     = true
}

variable "db_password" {
  description = "Master password of the orders database."
  type        = string
  sensitive   = true
  default     = "Orders-Pr0d-2024!"
}

variable "web_instance_type" {
  type    = string
  default = "t3.small"
}
