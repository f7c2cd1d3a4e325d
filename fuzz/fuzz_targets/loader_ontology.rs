#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| detente_fuzz::loader_ontology(data));
