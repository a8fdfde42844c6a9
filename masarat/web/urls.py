from django.contrib.auth import views as auth_views
from django.urls import path

from masarat.accounts import views as account_views
from masarat.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("account/two-step/", account_views.mfa_setup, name="mfa-setup"),
    path("account/two-step/recovery-codes/", account_views.recovery_codes_renew, name="mfa-recovery-codes"),
    path("account/sign-out-everywhere/", account_views.sign_out_everywhere, name="sign-out-everywhere"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
         name="login"),
    path("login/verify/", account_views.mfa_verify, name="mfa-verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
