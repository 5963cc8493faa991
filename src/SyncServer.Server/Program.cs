// The composition root and the CLI come in the host step; this stub keeps the solution building.
return 0;
