"""Running experiments: the Hydra boundary, runs, sweeps, run directories, calibration, sensitivity."""
