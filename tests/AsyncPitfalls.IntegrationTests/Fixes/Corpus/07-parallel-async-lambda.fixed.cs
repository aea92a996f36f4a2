using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace Reports;

public sealed class ReportWriter
{
    public void WriteAll(IReadOnlyList<string> names)
    {
        Parallel.ForEach(names, async name =>
        {
            await File.WriteAllTextAsync(name + ".txt", name);
        });
    }
}
