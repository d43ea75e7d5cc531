variable "name" {
  type = string
}

variable "instance_type" {
  type = string
}

variable "subnet_id" {
  type = string
}

variable "data_volume" {
  description = "Size (GiB) and type of the data volume."
  type = object({
    size = number
    type = string
  })
}

variable "tags" {
  type    = map(string)
  default = {}
}
