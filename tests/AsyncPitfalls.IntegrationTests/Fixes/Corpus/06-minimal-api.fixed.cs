using System;
using System.Threading.Tasks;

namespace Microsoft.AspNetCore.Builder
{
    public sealed class WebApplication
    {
        public void MapPost(string pattern, Delegate handler) { }
    }

    public static class EndpointRouteBuilderExtensions
    {
        public static void MapDelete(this WebApplication app, string pattern, Delegate handler) => app.MapPost(pattern, handler);
    }
}

namespace Jobs
{
    using Microsoft.AspNetCore.Builder;

    public interface IJobStore
    {
        Task CancelAsync(string id);
    }

    public static class JobEndpoints
    {
        public static void Map(WebApplication app, IJobStore store)
        {
            app.MapDelete("/jobs/{id}", async (string id) =>
            {
                await store.CancelAsync(id);
                return 204;
            });
        }
    }
}
