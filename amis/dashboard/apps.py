from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "amis.dashboard"
    label = "dashboard"
