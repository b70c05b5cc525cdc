from django.apps import AppConfig


class SamplingConfig(AppConfig):
    name = "amis.sampling"
    label = "sampling"
    verbose_name = "Audits of operations: sampling"

    def ready(self) -> None:
        from amis.audit import hooks
        from amis.sampling import working_i18n
        from amis.sampling.selectors import report_results

        hooks.register_sampling_results(report_results)
        hooks.register_working(working_i18n.step_html, working_i18n.step_text)
