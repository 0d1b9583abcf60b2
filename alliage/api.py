"""The JSON API under /api/v1/: each app contributes its router."""

from ninja import NinjaAPI, Swagger

from alliage.accounts.api import router as accounts_router
from alliage.advantages.api import router as advantages_router
from alliage.billing.api import router as billing_router
from alliage.core.api_support import install_error_handlers
from alliage.events.api import router as events_router
from alliage.fair.api import router as fair_router
from alliage.governance.api import router as governance_router
from alliage.members.api import router as members_router
from alliage.pages.api import router as pages_router
from alliage.showcase.api import router as showcase_router
from alliage.support.api import router as support_router
from alliage.surveys.api import router as surveys_router
from alliage.symbiosis.api import router as symbiosis_router

api = NinjaAPI(
    title="Alliage API",
    version="1",
    description="Alliage: organisations, members and the association's services.",
    urls_namespace="api",
    # Swagger UI from ninja's own static files (templates/ninja/swagger.html); no deep
    # links, whose anchors inside each operation's button are nested controls (axe).
    docs=Swagger(settings={"deepLinking": False, "defaultModelsExpandDepth": -1}),
)
install_error_handlers(api)
api.add_router("/accounts/", accounts_router)
api.add_router("/members/", members_router)
api.add_router("/symbiosis/", symbiosis_router)
api.add_router("/events/", events_router)
api.add_router("/billing/", billing_router)
api.add_router("/advantages/", advantages_router)
api.add_router("/fair/", fair_router)
api.add_router("/surveys/", surveys_router)
api.add_router("/governance/", governance_router)
api.add_router("/showcase/", showcase_router)
api.add_router("/pages/", pages_router)
api.add_router("/support/", support_router)
