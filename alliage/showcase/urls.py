app_name = "showcase"
urlpatterns: list = []
