"""One module per output format. Each takes findings and returns text."""

FORMATS = ("text", "json", "sarif", "github", "junit", "markdown")
