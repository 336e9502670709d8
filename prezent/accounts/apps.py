from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "prezent.accounts"
    label = "accounts"
