#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| detente_fuzz::write_neo4j(data));
