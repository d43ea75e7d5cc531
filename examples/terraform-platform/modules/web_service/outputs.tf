output "instance_id" {
  value = aws_instance.this.id
}
