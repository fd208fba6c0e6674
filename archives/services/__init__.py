"""Archive services: binding, export, verification, paper and lending, destruction.
Pages, the API, the beat sweep and the ``archive`` transition all call these."""

from archives.services.access import package_view  # noqa: F401
from archives.services.binding import case_archive, package_bind  # noqa: F401
from archives.services.destruction import (  # noqa: F401
    destruction_decide,
    destruction_propose,
)
from archives.services.export import package_export  # noqa: F401
from archives.services.paper import (  # noqa: F401
    PaperLocation,
    catalogue_download,
    document_download,
    loan_create,
    loan_return,
    paper_update,
)
from archives.services.verify import VerifyReport, package_verify  # noqa: F401
