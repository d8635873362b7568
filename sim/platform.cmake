# Simulated arm64 platform: GICv3 (banked SGIs/PPIs and CPU interface), the
# SMCCC conduit with PSCI, guest memory with stage-2 residency, and the
# composition that wires them and the SDEI dispatcher to the engine.
apfsim_sim_library(NAME sim_platform SOURCES gic.c smccc.c psci.c memory.c platform.c
                   DEPS sim_sdei sim_engine)
