console.error('The Tessera reference server is not built yet: the spec and code generation have landed (see spec/).');
process.exit(1);
