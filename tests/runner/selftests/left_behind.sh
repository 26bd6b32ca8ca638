#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Ends in time, leaving a reader of an rpm_sim debugfs file running: the
# runner must end it with the test, or rpm_sim cannot unload.
sleep 1000 </sys/kernel/debug/rpm_sim/stats &
echo "KTAP version 1"
echo "1..1"
echo "ok 1 left_behind"
