from tests.correspondence.conftest import scans_folder  # noqa: F401  (scans in a folder of the test's own)
