package io.gatehouse.as.store;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InMemoryStoresTest extends StoreContract {

    private final AsStores stores = AsStores.inMemory(new InMemoryKeyStore());
    private final AsStores small = AsStores.inMemory(new InMemoryKeyStore(), SMALL);

    @Override
    boolean evictsOldestFirst() {
        return false;
    }

    @Override
    AsStores small() {
        return small;
    }

    @Override
    AsStores stores() {
        return stores;
    }
}
