-- The footprint of each features build and training run (Footprint.cs): wall and CPU time, peak memory,
-- estimated energy, so that the cost of the computing is known beside what it produced.
ALTER TABLE ml.model_run ADD COLUMN footprint jsonb;
COMMENT ON COLUMN ml.model_run.footprint IS 'wallSeconds, cpuSeconds, peakMemoryBytes, energyWattHours of the run up to storing its results; NULL before migration 0029.';
ALTER TABLE features.build ADD COLUMN footprint jsonb;
COMMENT ON COLUMN features.build.footprint IS 'wallSeconds, cpuSeconds, peakMemoryBytes, energyWattHours of the build; NULL before migration 0029.';
