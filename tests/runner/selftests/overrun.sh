#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Overruns its bound (tests/runner/run.sh sets it to 3 s) with a child
# holding an rpm_sim debugfs file open: the runner must report the
# timeout, and end the child with the test.
echo "KTAP version 1"
echo "1..1"
sleep 1000 </sys/kernel/debug/rpm_sim/events &
sleep 1000
