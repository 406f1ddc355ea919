-- Reverts 2025-11-11-000016_specs_quality_testing: drops its tables, last created first.

DROP TABLE test_results;
DROP TABLE maturity_tracking;
