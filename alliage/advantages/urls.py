app_name = "advantages"
urlpatterns: list = []
