from django.urls import path

from factcheck import views

app_name = "factcheck"

urlpatterns = [
    path("claims/<slug:slug>/", views.ClaimDetailView.as_view(), name="claim-detail"),
]
