from prezent.risk import urls_alerts, urls_engine, urls_rules

app_name = "risk"
urlpatterns = [*urls_engine.urlpatterns, *urls_alerts.urlpatterns, *urls_rules.urlpatterns]
