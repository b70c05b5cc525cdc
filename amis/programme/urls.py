from django.urls import path

from amis.programme import views

app_name = "programme"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<str:cci>/", views.overview, name="overview"),
    path("<str:cci>/select/", views.select_version, name="select-version"),
    path("<str:cci>/versions/", views.versions, name="versions"),
    path("<str:cci>/v<int:number>/", views.overview, name="overview-version"),
    path("<str:cci>/v<int:number>/financing/", views.financing, name="financing"),
    path("<str:cci>/v<int:number>/financing/edit/", views.financing_edit, name="financing-edit"),
    path("<str:cci>/v<int:number>/indicators/", views.indicators, name="indicators"),
    path("<str:cci>/v<int:number>/special-cases/", views.special_cases, name="special-cases"),
    path("<str:cci>/v<int:number>/texts/", views.texts, name="texts"),
    path("<str:cci>/v<int:number>/validation/", views.validation, name="validation"),
    path("<str:cci>/v<int:number>/new-draft/", views.new_draft, name="new-draft"),
    path("<str:cci>/v<int:number>/status/", views.change_status, name="change-status"),
    path("<str:cci>/v<int:number>/ready-for-review/", views.ready_for_review, name="ready-for-review"),
    path("<str:cci>/v<int:number>/export.<str:fmt>", views.export, name="export"),
]
