"""Project scaffolds rendered from the jinja2 templates in templates/scaffold/."""
