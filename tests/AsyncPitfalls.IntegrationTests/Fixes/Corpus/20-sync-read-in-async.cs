using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Uploads;

public sealed class ChunkCopier
{
    public async Task<long> CopyAsync(Stream source, Stream target, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        long total = 0;
        int read;
        while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
        {
            await target.WriteAsync(buffer, 0, read, cancellationToken);
            total += read;
        }

        return total;
    }
}
