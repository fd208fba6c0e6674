"""Archive records (一事项一存档): retention rules, packages and their catalogue, paper
tracking (location, binding, loans), the access log and destruction lists."""

from archives.models.destruction import DestructionItem, DestructionList  # noqa: F401
from archives.models.package import (  # noqa: F401
    ArchiveDocument,
    ArchivePackage,
    DocumentKind,
    Outcome,
    Retention,
    RetentionRule,
)
from archives.models.paper import AccessLog, Loan  # noqa: F401
