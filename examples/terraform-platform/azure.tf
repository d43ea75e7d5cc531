resource "azurerm_resource_group" "dr" {
  name     = "acme-${var.environment}-dr"
  location = "westeurope"
  tags = {
    Environment = var.environment
    Owner       = "platform-team"
  }
}

resource "azurerm_storage_account" "backups" {
  name                            = "acme${var.environment}backups"
  resource_group_name             = azurerm_resource_group.dr.name
  location                        = azurerm_resource_group.dr.location
  account_tier                    = "Standard"
  account_replication_type        = "GRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
  tags                            = azurerm_resource_group.dr.tags
}

resource "azurerm_network_security_group" "jump" {
  name                = "acme-${var.environment}-jump"
  location            = azurerm_resource_group.dr.location
  resource_group_name = azurerm_resource_group.dr.name

  security_rule {
    name                       = "rdp-from-anywhere"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_key_vault" "dr" {
  name                = "acme-${var.environment}-dr-kv"
  location            = azurerm_resource_group.dr.location
  resource_group_name = azurerm_resource_group.dr.name
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
  tags                = azurerm_resource_group.dr.tags
}
