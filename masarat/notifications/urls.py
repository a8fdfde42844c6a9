from django.urls import path

from masarat.notifications import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.mark_read, name="inbox-read"),
    path("inbox/read-all/", views.mark_all_read, name="inbox-read-all"),
    path("inbox/<int:pk>/", views.open_notification, name="inbox-open"),
    path("account/notifications/", views.preferences, name="notification-preferences"),
]
