package io.gatehouse.as.store;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InMemoryStoresTest extends StoreContract {

    private final AsStores stores = AsStores.inMemory(new InMemoryKeyStore());

    @Override
    AsStores stores() {
        return stores;
    }
}
