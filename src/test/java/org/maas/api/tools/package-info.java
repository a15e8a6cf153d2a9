/**
 * Tools with a {@code main()} that run from the test classpath and never ship in the jar: {@code make policies}
 * (PolicyFiles), {@code make demo} (DemoCluster), the usage example of docs/tokens.md (UsageDemoServer). Kept
 * apart from the tests; PolicyFilesTest is the check that the committed policies are what PolicyFiles renders.
 */
package org.maas.api.tools;
