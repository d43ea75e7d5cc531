environment       = "prod"
db_instance_class = "db.r6g.large"
# Staging copied this from an old template; prod inherited it.
db_encrypted      = false
web_instance_type = "m4.large"
