import pytest

from approvals.workflow import CaseStatus
from tests.factories import CaseFactory, MatterFactory
from tests.factories.workflow import Crew, drive


@pytest.mark.django_db
@pytest.mark.parametrize("inspected", [True, False])
def test_case_walks_the_happy_path_to_archive(inspected):
    case = CaseFactory(matter=MatterFactory(inspected=inspected))
    case = drive(case, Crew.make(), CaseStatus.ARCHIVED)
    assert case.status == CaseStatus.ARCHIVED
    assert case.number
    assert case.history.count() == (9 if inspected else 7)
