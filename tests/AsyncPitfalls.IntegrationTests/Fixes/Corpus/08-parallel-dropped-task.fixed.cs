using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace Exports;

internal sealed class Exporter
{
    private readonly List<string> _items = new() { "a", "b" };

    internal int Count => _items.Count;

    private async Task ExportAll()
    {
        await Parallel.ForEachAsync(_items, async (item, cancellationToken) => await File.WriteAllTextAsync(item + ".csv", item));
    }
}
