from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "amis.evaluation"
    label = "evaluation"
