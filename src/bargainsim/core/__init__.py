"""The simulation of one district: cases, agents and the procedure's stages (no pandas, no Hydra)."""
