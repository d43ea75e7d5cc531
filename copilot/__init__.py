"""devops-copilot: review infrastructure-as-code and pipelines, explain findings, suggest fixes."""

__version__ = "0.1.0"
