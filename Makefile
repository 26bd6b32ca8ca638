# SPDX-License-Identifier: GPL-2.0
#
# rpm_sim: runtime PM and driver-core lifecycle test harness.
#
#   make [KDIR=...]          build rpm_sim.ko (and rpm_sim_kunit.ko with KUnit)
#   make run [KDIR=... [KERNEL=...]]
#                            boot one kernel in QEMU and run every suite:
#                            the default test kernel, or your own tree
#     SUITES=rpm_sim_rm,rpm_sim_control
#                            these KUnit suites and selftests only
#     FILTER='rpm_sim_rm.rm1*'
#                            these KUnit cases only (kunit.filter_glob;
#                            SUITES defaults to the suite it names)
#     CASES=probe_error,ss2_state_untouched_prepare_to_suspend
#                            these selftest cases only (with their
#                            variants, NAME_*); the others SKIP
#     SEED=N                 replay the stress offsets and the fuzzing
#     PARAMS='gate_timeout_ms=2000 ...'
#                            rpm_sim.ko module parameters
#     APPEND='...'           more kernel command line
#   make shell [KDIR=... [KERNEL=...]] [PARAMS=...] [APPEND=...]
#                            the same guest with rpm_sim loaded and a shell
#                            on this terminal, the selftests' helpers defined
#   make check [KERNELS=...] [PROVE=0|all]
#                            lint, pipeline tests, the kernel matrix and
#                            the seeded regressions (their covering set;
#                            all of them with PROVE=all)
#   make prove [REGRESSIONS="name ..."]
#                            each seeded regression in patches/prove/ must
#                            turn the tests it names red
#   make reproduce [REPRODUCE="stock-6.1 ..."] [KDIR=... [KERNEL=...]]
#                            the corpus of fixed upstream bugs
#                            (reproducers/): which fixes each kernel lacks,
#                            Debian's and the test kernels with the fixes
#                            applied (patches/fixes/), or your own
#   make mutate [MUTATE="drivers/base/dd.c:10 ..."] [SEED=N] [ONLY=regex]
#                            random one-line mutants of the 6.12 driver
#                            core and PM core, proved like the seeded
#                            regressions: each survivor is a line no
#                            test watches, or a change nobody can see
#   make soak [SOAK_LABEL=soak-6.12]
#                            rpm_sim under its own stress on a KASAN kernel:
#                            10k random control writes, 1k unload cycles,
#                            10k racing unbinds (sizes: scripts/soak.sh)
#   make api-check           each upstream API change of patches/api/ alone
#                            on 6.12, then all of them (next): rpm_sim
#                            builds at W=1 and its probes see the change
#   make selftests-install INSTALL_PATH=DIR [KDIR=...] [KSFT_DIR=...]
#                            the selftests as a kselftest collection with
#                            the kernel's runner and rpm_sim.ko:
#                            DIR/run_kselftest.sh -c rpm_sim on the target
#                            (KSFT_DIR: the kernel's tools/testing/selftests,
#                            if not in KDIR or its source)
#   make install [KDIR=...] [INSTALL_MOD_PATH=...]
#                            rpm_sim.ko into that kernel's module tree
#                            (modules_install); dkms.conf does it again
#                            at each kernel upgrade (scripts/dkms-check.sh)
#   make lint                checkpatch --strict and sparse
#   make clean               build products (results stay)
#   make clean-results       results/
#   make help                this text

KDIR ?= /lib/modules/$(shell uname -r)/build
RESULTS ?= $(CURDIR)/results
export RPM_SIM_RESULTS := $(RESULTS)
# make check's matrix, within 45 minutes on a cold 2-core machine; the
# whole of it: KERNELS="test-6.12 test-next test-6.1 stock-6.12 stock-6.1 stock-6.12-rt".
KERNELS ?= test-6.12 test-next stock-6.12 stock-6.1 stock-6.12-rt
RUN_LABEL ?= test-6.12

# Given on the command line or in the environment: the developer's own tree.
ifneq ($(filter command line environment,$(origin KDIR)),)
RUN_ARGS := $(if $(LABEL),$(LABEL),custom) $(KDIR) $(KERNEL)
else
RUN_ARGS := $(RUN_LABEL)
endif

# make run's choices, as scripts/run-kernel.sh takes them. insmod does not
# read the command line: qemu/init.sh hands rpm_sim.* and rpm_sim_kunit.*
# words to the modules, rpm_sim_env.* words to the selftests.
FILTER_SUITE := $(firstword $(subst ., ,$(FILTER)))
SUITES ?= $(FILTER_SUITE)
RUN_APPEND := $(strip $(APPEND) \
	$(if $(FILTER),kunit.filter_glob=$(FILTER)) \
	$(if $(CASES),rpm_sim_env.RPM_SIM_CASES=$(CASES)) \
	$(if $(SEED),rpm_sim.seed=$(SEED) rpm_sim_env.RPM_SIM_FUZZ_SEED=$(SEED)) \
	$(addprefix rpm_sim.,$(PARAMS)))
RUN_ENV := $(if $(SUITES),RPM_SIM_UNITS='$(SUITES)') \
	$(if $(RUN_APPEND),RPM_SIM_APPEND="$${RPM_SIM_APPEND:-} $(RUN_APPEND)")

ifneq ($(filter run shell,$(MAKECMDGOALS)),)
ifneq ($(findstring *,$(FILTER_SUITE))$(findstring ?,$(FILTER_SUITE))$(findstring [,$(FILTER_SUITE)),)
$(error FILTER=$(FILTER): its suite part is a pattern; name the suites with SUITES=)
endif
ifneq ($(shell printf '%s' '$(SEED)' | tr -d 0-9),)
$(error SEED=$(SEED): a whole number)
endif
ifneq ($(shell printf '%s' '$(CASES)' | tr -d a-z0-9_,),)
$(error CASES=$(CASES): selftest case names, comma-separated)
endif
BAD_PARAMS := $(shell for p in $(PARAMS); do case $$p in ([a-z_]*=?*) ;; (*) echo "$$p" ;; esac; done)
ifneq ($(BAD_PARAMS),)
$(error PARAMS: $(BAD_PARAMS): not NAME=VALUE)
endif
endif

all: modules

modules:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "rpm_sim: no kernel build tree at $(KDIR)" >&2; \
		echo "  install the headers of the running kernel (apt-get install linux-headers-$$(uname -r))," >&2; \
		echo "  or build against a tree of your own: make KDIR=/path/to/built/tree" >&2; \
		exit 2; \
	fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# KSFT_DIR: the kernel's tools/testing/selftests; by default KDIR's (or
# its source tree's), found by scripts/ksft-install.sh.
selftests-install:
	@if [ -z "$(INSTALL_PATH)" ]; then echo "rpm_sim: set INSTALL_PATH=DIR" >&2; exit 2; fi
	$(MAKE) modules
	sh scripts/ksft-install.sh "$(INSTALL_PATH)" "$(or $(KSFT_DIR),$(KDIR))" \
		$(CURDIR)/rpm_sim.ko

# Debian's headers have no System.map, so modules_install skips depmod:
# run it here (not for a staging INSTALL_MOD_PATH).
install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	$(if $(INSTALL_MOD_PATH),,depmod -a $$(cat $(KDIR)/include/config/kernel.release))

help:
	@sed -n '3,/^$$/s/^# \{0,1\}//p' $(firstword $(MAKEFILE_LIST))

# Results are kept: they may be all that is left of a failure.
clean:
	rm -rf build
	if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi

clean-results:
	rm -rf $(RESULTS)

# make run and make shell need only what their kernel needs (a kernel of
# your own: no Debian kernel at all); the other targets everything.
deps:
	sh scripts/install-deps.sh $(if $(filter-out run shell,$(MAKECMDGOALS)),,--for $(firstword $(RUN_ARGS)))

# Exit status: 0 green, 1 a test failed, 2 the harness could not finish
# (build, QEMU, timeout, a unit cut off or never started: KCIDB's ERROR
# and MISS in results/export/kcidb.json), 3 the export itself failed.
run: deps
	rm -rf $(RESULTS)
	$(RUN_ENV) sh scripts/run-kernel.sh $(RUN_ARGS); status=$$?; \
	python3 scripts/summary.py $(RESULTS); status=$$(( status | $$? )); \
	python3 scripts/export-results.py $(RESULTS); export=$$?; \
	if [ $$export -ne 0 ]; then exit $$export; fi; exit $$status

shell: deps
	$(RUN_ENV) RPM_SIM_SHELL=1 sh scripts/run-kernel.sh $(RUN_ARGS)

check: deps
	KERNELS="$(KERNELS)" sh scripts/check.sh

prove: deps
	sh scripts/prove.sh $(REGRESSIONS)

# A kernel of your own (KDIR on the command line or in the environment)
# is reported alone, unless REPRODUCE names others.
reproduce: deps
	$(if $(filter command line environment,$(origin KDIR)),KDIR='$(KDIR)' KERNEL='$(KERNEL)') \
		sh scripts/reproduce.sh $(REPRODUCE)

MUTATE ?= drivers/base/power/runtime.c:20 drivers/base/dd.c:10 \
	drivers/base/power/main.c:10 drivers/base/core.c:5
MUTANTS := $(RESULTS)/mutants

mutate: deps
	rm -rf $(MUTANTS)
	python3 scripts/mutate.py --seed $(or $(SEED),1) $(if $(ONLY),--only '$(ONLY)') \
		$(MUTANTS) "$$(sh scripts/kernel-src.sh 6.12)" $(MUTATE)
	PROVE_PATCHES=$(MUTANTS) sh scripts/prove.sh $$(cd $(MUTANTS) && ls | sed 's/\.patch$$//')

soak: deps
	rm -rf $(RESULTS)
	sh scripts/soak.sh $(SOAK_LABEL); status=$$?; \
	python3 scripts/summary.py $(RESULTS); exit $$(( status | $$? ))

lint: deps
	sh scripts/lint.sh

api-check: deps
	sh scripts/api-check.sh

.PHONY: all modules install help clean clean-results deps run shell selftests-install check prove \
	reproduce mutate soak lint api-check
