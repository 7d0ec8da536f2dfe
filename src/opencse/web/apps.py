from django.apps import AppConfig


class WebConfig(AppConfig):
    """The server-rendered web app for officers (Django templates, USWDS styling, htmx)."""

    name = "opencse.web"
    label = "web"
