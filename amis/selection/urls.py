from django.urls import path

from amis.selection import views

app_name = "selection"

urlpatterns = [
    path("applications/<str:reference>/eligibility/", views.application_eligibility, name="eligibility"),
    path("applications/<str:reference>/assess/", views.application_assess, name="assess"),
    path("applications/<str:reference>/consolidation/", views.application_consolidate, name="consolidate"),
    path("calls/<str:code>/ranking/", views.call_rank, name="rank"),
    path("calls/<str:code>/meetings/", views.call_meeting_plan, name="meeting_plan"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
]
