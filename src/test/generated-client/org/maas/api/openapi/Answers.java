package org.maas.api.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The operations and statuses a generated-client test shows, one string each: the operationId, then the
 * statuses ({@code "listTiers 200 406"}). The test fails unless it got every one of them (GeneratedClients
 * checks after each test); GeneratedClientCoverageTest fails unless the claims of all tests cover every status
 * the document declares. So each test proves what it claims on its own, in any order or subset.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Answers {

    String[] value();
}
