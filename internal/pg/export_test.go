package pg

// StatementCacheSize is statementCacheSize, for the tests of the external package.
const StatementCacheSize = statementCacheSize
