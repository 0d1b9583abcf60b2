app_name = "fair"
urlpatterns: list = []
