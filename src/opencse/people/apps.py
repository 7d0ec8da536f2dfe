from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "opencse.people"
    label = "people"
    verbose_name = "People: parents, children, addresses, employers"
