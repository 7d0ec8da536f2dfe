from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "opencse.orders"
    label = "orders"
    verbose_name = "Orders: support orders, terms and obligations"
