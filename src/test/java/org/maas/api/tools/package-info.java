/**
 * Tools with a {@code main()} that run from the test classpath and never ship in the jar: {@code make policies}
 * (PolicyFiles), {@code make demo} (DemoCluster), the fault proxy of {@code bench/faults.sh} (FaultProxy). Kept
 * apart from the tests; PolicyFilesTest is the check that the committed policies are what PolicyFiles renders.
 */
package org.maas.api.tools;
