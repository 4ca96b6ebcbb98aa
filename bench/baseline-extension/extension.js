// The benchmark's baseline: an empty activate().
exports.activate = function activate() {};
