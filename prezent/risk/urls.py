from prezent.risk import urls_engine, urls_rules
from prezent.risk.alerts import urls as alerts_urls

app_name = "risk"
urlpatterns = [*urls_engine.urlpatterns, *alerts_urls.urlpatterns, *urls_rules.urlpatterns]
